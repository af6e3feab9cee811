declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    /** A port, or the path of a unix socket to listen on (passed to server.listen as is). */
    port?: number | string;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string; configs?: unknown[] }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
