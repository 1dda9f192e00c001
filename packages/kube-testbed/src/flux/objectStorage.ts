import http from 'node:http';
import { freePort } from '../ports';
import { sha256 } from './archives';

/**
 * A small S3-compatible object store on 127.0.0.1 for Flux's Bucket source
 * (`provider: generic`, `insecure: true`, a `region` set so no location is
 * asked): the calls source-controller's minio client makes — HEAD of a
 * bucket, ListObjectsV2, HEAD and GET of an object — answered from memory,
 * anonymously. Its objects are also plain HTTP downloads, which is how the
 * ExternalArtifact stand-in serves artifacts.
 */
export interface ObjectStorage {
  /** 127.0.0.1:<port>: a Bucket's spec.endpoint. */
  endpoint: string;
  /** http://127.0.0.1:<port>/<bucket>/<key> */
  objectUrl(bucket: string, key: string): string;
  /** Replaces the objects of a bucket (created if new). */
  putObjects(bucket: string, objects: Record<string, string | Buffer>): void;
  stop(): Promise<void>;
}

interface StoredObject {
  data: Buffer;
  etag: string;
  lastModified: Date;
}

const xmlEscape = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    c =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' }[
        c
      ]!),
  );

function errorXml(code: string, message: string) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(
    message,
  )}</Message></Error>`;
}

export async function startObjectStorage(): Promise<ObjectStorage> {
  const port = await freePort();
  const endpoint = `127.0.0.1:${port}`;
  const buckets = new Map<string, Map<string, StoredObject>>();

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', `http://${endpoint}`);
    const [bucketName, ...rest] = url.pathname.replace(/^\/+/, '').split('/');
    const key = decodeURIComponent(rest.join('/'));
    const bucket = buckets.get(bucketName);
    const head = req.method === 'HEAD';
    if (!bucket) {
      res.writeHead(404, { 'Content-Type': 'application/xml' });
      res.end(
        head
          ? undefined
          : errorXml('NoSuchBucket', 'The specified bucket does not exist'),
      );
      return;
    }
    if (!key) {
      if (head) {
        res.writeHead(200);
        res.end();
        return;
      }
      // ListObjectsV2 (list-type=2): one page holds everything here.
      const prefix = url.searchParams.get('prefix') ?? '';
      const contents = [...bucket.entries()]
        .filter(([name]) => name.startsWith(prefix))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(
          ([name, object]) =>
            `<Contents><Key>${xmlEscape(
              name,
            )}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>&quot;${
              object.etag
            }&quot;</ETag><Size>${
              object.data.length
            }</Size><StorageClass>STANDARD</StorageClass></Contents>`,
        );
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(
          bucketName,
        )}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${
          contents.length
        }</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents.join(
          '',
        )}</ListBucketResult>`,
      );
      return;
    }
    const object = bucket.get(key);
    if (!object) {
      res.writeHead(404, { 'Content-Type': 'application/xml' });
      res.end(
        head
          ? undefined
          : errorXml('NoSuchKey', 'The specified key does not exist.'),
      );
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': object.data.length,
      ETag: `"${object.etag}"`,
      'Last-Modified': object.lastModified.toUTCString(),
    });
    res.end(head ? undefined : object.data);
  };

  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

  return {
    endpoint,
    objectUrl: (bucket, key) => `http://${endpoint}/${bucket}/${key}`,
    putObjects(bucket, objects) {
      const now = new Date();
      buckets.set(
        bucket,
        new Map(
          Object.entries(objects).map(([key, content]) => {
            const data = Buffer.from(content);
            // S3's ETag of a single-part upload is the MD5; any stable digest does here.
            return [
              key,
              { data, etag: sha256(data).slice(0, 32), lastModified: now },
            ];
          }),
        ),
      );
    },
    stop: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
