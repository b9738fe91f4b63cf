// Reading a file that must be a small regular file (configuration, policies, certificates): a FIFO planted in its
// place would block in open(), a link to /dev/zero would fill memory. The file is opened non-blocking and checked
// on its descriptor, so a swap between a check and the read cannot slip through.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** Configurations, policies, certificates and keys are kilobytes: anything this large is none of them. */
export const MAX_SMALL_FILE_BYTES = 4 * 1024 * 1024;

export function readRegularFileSync(file: string, maxBytes = MAX_SMALL_FILE_BYTES): Buffer {
  const descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(descriptor);
    if (info.isDirectory()) throw new Error('is a directory');
    if (!info.isFile()) throw new Error('not a regular file (a FIFO, socket or device)');
    if (info.size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    return readFileSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The same check, asynchronous, for inputs that may be large (SBOMs, rules files, VEX documents): a FIFO given
 * where a file is expected would otherwise block the read forever, beyond the reach of SIGTERM.
 */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new Error('is a directory');
    if (!info.isFile()) throw new Error('not a regular file (a FIFO, socket or device)');
    if (info.size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
