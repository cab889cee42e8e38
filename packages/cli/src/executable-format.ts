import { open } from "node:fs/promises";

/** What an executable's header says it is. */
export interface ExecutableFormat {
  format: "elf" | "mach-o" | "pe";
  /** Go's name for the CPU: `amd64` or `arm64`; `unknown` for any other machine. */
  arch: "amd64" | "arm64" | "unknown";
  /** The raw machine field: ELF `e_machine`, Mach-O `cputype`, PE `Machine`. */
  machine: number;
  /** Mach-O only: whether an `LC_CODE_SIGNATURE` load command is present. */
  signed?: boolean;
}

const elfMachines: Record<number, "amd64" | "arm64"> = { 62: "amd64", 183: "arm64" };
const machoCpus: Record<number, "amd64" | "arm64"> = { 16777223: "amd64", 16777228: "arm64" };
const peMachines: Record<number, "amd64" | "arm64"> = { 34404: "amd64", 43620: "arm64" };
const lcCodeSignature = 0x1d;

/**
 * Reads an executable's header: the ELF machine, the Mach-O CPU type (64-bit, little-endian) or
 * the PE machine. Throws when the file is none of these. Only the first 64 KiB are read.
 */
export async function readExecutableFormat(path: string): Promise<ExecutableFormat> {
  const file = await open(path, "r");
  let header: Buffer;
  try {
    header = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(header, 0, header.length, 0);
    header = header.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
  if (header.length >= 20 && header.readUInt32BE(0) === 0x7f454c46) {
    // e_ident[EI_DATA] = 1: little-endian; e_machine at 18.
    const machine = header[5] === 1 ? header.readUInt16LE(18) : header.readUInt16BE(18);
    return { format: "elf", arch: elfMachines[machine] ?? "unknown", machine };
  }
  if (header.length >= 32 && header.readUInt32LE(0) === 0xfeedfacf) {
    const machine = header.readUInt32LE(4);
    const commands = header.readUInt32LE(16);
    let offset = 32;
    let signed = false;
    for (let i = 0; i < commands && offset + 8 <= header.length; i++) {
      if (header.readUInt32LE(offset) === lcCodeSignature) signed = true;
      offset += header.readUInt32LE(offset + 4);
    }
    return { format: "mach-o", arch: machoCpus[machine] ?? "unknown", machine, signed };
  }
  if (header.length >= 64 && header.readUInt16LE(0) === 0x5a4d) {
    const peOffset = header.readUInt32LE(0x3c);
    if (peOffset + 6 <= header.length && header.readUInt32LE(peOffset) === 0x00004550) {
      const machine = header.readUInt16LE(peOffset + 4);
      return { format: "pe", arch: peMachines[machine] ?? "unknown", machine };
    }
  }
  throw new Error(`${path} is not an ELF, 64-bit Mach-O or PE executable`);
}
