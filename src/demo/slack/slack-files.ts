import { extname } from 'node:path';

/** A file uploaded through Slack's external upload flow, as the playground keeps it. */
export interface SlackFile {
  readonly id: string;
  readonly name: string;
  /** The length the uploader announced; the upload must match it. */
  readonly length: number;
  title?: string;
  bytes?: Buffer;
}

const TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
};

/**
 * Files of the playground's workspace: `files.getUploadURLExternal` reserves one, a POST to its upload URL
 * carries the bytes, `files.completeUploadExternal` shares it. The page shows them from /files/<id>.
 */
export class SlackFiles {
  private readonly files = new Map<string, SlackFile>();
  private counter = 0;

  reserve(name: string, length: number): SlackFile {
    const file: SlackFile = { id: `F0DEMO${String(++this.counter).padStart(5, '0')}`, name, length };
    this.files.set(file.id, file);
    return file;
  }

  get(id: string): SlackFile | undefined {
    return this.files.get(id);
  }

  /** The bytes for a reserved file; an error says why they were refused. */
  upload(id: string, bytes: Buffer): string | undefined {
    const file = this.files.get(id);
    if (!file) return `no upload was reserved for ${id}`;
    if (file.bytes) return `${id} was uploaded already`;
    if (bytes.length !== file.length) return `${id} announced ${file.length} bytes and sent ${bytes.length}`;
    file.bytes = bytes;
    return undefined;
  }

  static typeOf(name: string): string {
    return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
  }
}
