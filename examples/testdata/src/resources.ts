const encoder = new TextEncoder();

/** `GET|POST echo`, `GET stream?chunks=n`, 404 otherwise: the CallResource contract of testdata. */
export async function callTestdataResource(
  request: Request,
  context: { path: string; rawUrl: string },
): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/^\/+/, "");
  if (path === "echo" && (request.method === "GET" || request.method === "POST")) {
    const headers: Record<string, string[]> = {};
    request.headers.forEach((value, name) => {
      headers[name] = [value];
    });
    return Response.json({
      method: request.method,
      path: context.path,
      url: context.rawUrl,
      headers,
      body: request.method === "POST" ? await request.text() : "",
    });
  }
  if (path === "stream" && request.method === "GET") {
    const chunks = Math.max(0, Math.min(10_000, Number(url.searchParams.get("chunks") ?? "1") || 0));
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i >= chunks) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(`chunk ${i}\n`));
        i++;
      },
    });
    return new Response(body, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  return Response.json({ error: `no resource at ${JSON.stringify(context.path)}` }, { status: 404 });
}
