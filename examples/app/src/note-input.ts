import { z } from "zod";

/** The body of `POST /notes`: a title (1 to 200 characters, trimmed) and an optional body. */
export const noteInput = z.strictObject({
  title: z.string().trim().min(1, "the title must not be empty").max(200),
  body: z.string().max(10_000).default(""),
});
