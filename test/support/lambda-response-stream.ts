/**
 * A fake of the Lambda response-streaming runtime: a Writable that records what the handler
 * writes, and `HttpResponseStream.from` with the runtime's contract (the JSON prelude and eight
 * NUL bytes go out before the first body byte; the same stream is returned for the body).
 */
import { Writable } from 'node:stream';
import type {
  HttpPrelude,
  HttpResponseStreamApi,
  ResponseStream,
} from '../../gateway/lambda/lambda-stream-types';

const DELIMITER = Buffer.alloc(8);

export class FakeResponseStream extends Writable implements ResponseStream {
  readonly chunks: Buffer[] = [];
  contentType: string | undefined;
  /** set by HttpResponseStream.from; written before the first body chunk */
  pendingPrelude: HttpPrelude | undefined;

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.pendingPrelude) {
      this.chunks.push(Buffer.from(JSON.stringify(this.pendingPrelude)), DELIMITER);
      this.pendingPrelude = undefined;
    }
    this.chunks.push(Buffer.from(chunk));
    done();
  }

  /** What went over the wire: the prelude (if any body was written) and the body text. */
  wire(): { prelude: HttpPrelude | undefined; body: string } {
    const all = Buffer.concat(this.chunks);
    const at = all.indexOf(DELIMITER);
    if (at < 0) return { prelude: undefined, body: all.toString('utf8') };
    return {
      prelude: JSON.parse(all.subarray(0, at).toString('utf8')) as HttpPrelude,
      body: all.subarray(at + DELIMITER.length).toString('utf8'),
    };
  }
}

export const fakeHttpResponseStream: HttpResponseStreamApi = {
  from(stream, prelude) {
    const fake = stream as FakeResponseStream;
    fake.contentType = 'application/vnd.awslambda.http-integration-response';
    fake.pendingPrelude = prelude;
    return stream;
  },
};
