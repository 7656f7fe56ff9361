// Keeps the serving certificate of a TLS server in step with its files.
// cert-manager and the kubelet rotate mounted Secrets by swapping a `..data`
// symlink in the directory. So the directories are watched, because a watch
// on the file itself would follow the old inode, and the files are polled as
// a fallback for file systems without change events.
//
// A pair that fails to load, such as a certificate written before its key,
// is logged once and the last good pair stays in use. New connections get a
// new pair, and open ones keep theirs.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createSecureContext, type SecureContextOptions, type Server as TlsServer } from 'node:tls';
import type { Logger } from 'pino';

export interface CertificateSources {
  certFile: string;
  keyFile: string;
  /** CA bundle that client certificates must chain to, if clients must present one. */
  clientCaFile?: string;
}

export interface ReloaderTiming {
  /** Delay after a change event, so the files of one update are read together. */
  debounceMs: number;
  /** Interval of the fallback check. */
  pollIntervalMs: number;
}

const DEFAULT_TIMING: ReloaderTiming = { debounceMs: 200, pollIntervalMs: 10_000 };

/** The options of every secure context: TLS 1.2 is the oldest version the apiserver may use. */
const TLS_DEFAULTS: SecureContextOptions = { minVersion: 'TLSv1.2' };

interface LoadedPair {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  /** Fields for the log: subject, expiry and fingerprint, never the key. */
  summary: Record<string, string>;
}

async function readSources(sources: CertificateSources): Promise<Omit<LoadedPair, 'summary'>> {
  const [cert, key, ca] = await Promise.all([
    readFile(sources.certFile),
    readFile(sources.keyFile),
    sources.clientCaFile === undefined ? undefined : readFile(sources.clientCaFile),
  ]);
  return { cert, key, ca };
}

/** Checks that the files form a usable pair; throws an Error that describes the problem. */
function validatePair(files: Omit<LoadedPair, 'summary'>): LoadedPair {
  const certificate = new X509Certificate(files.cert);
  const key = createPrivateKey(files.key);
  if (!certificate.checkPrivateKey(key)) {
    throw new Error('the private key does not match the certificate');
  }
  // Builds a context as the server will, so anything else OpenSSL rejects shows here too.
  createSecureContext({ ...TLS_DEFAULTS, cert: files.cert, key: files.key, ca: files.ca });
  const summary = {
    subject: certificate.subject,
    notAfter: certificate.validTo,
    fingerprint256: certificate.fingerprint256,
  };
  return { ...files, summary };
}

function sameFiles(a: Omit<LoadedPair, 'summary'>, b: Omit<LoadedPair, 'summary'>): boolean {
  const sameCa = a.ca === undefined ? b.ca === undefined : b.ca !== undefined && a.ca.equals(b.ca);
  return a.cert.equals(b.cert) && a.key.equals(b.key) && sameCa;
}

export class CertificateReloader {
  private current: LoadedPair;
  private rejected: Omit<LoadedPair, 'summary'> | undefined;
  private lastReadError: string | undefined;
  private server: TlsServer | undefined;
  private watchers: FSWatcher[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;

  private constructor(
    private readonly sources: CertificateSources,
    private readonly logger: Logger,
    private readonly timing: ReloaderTiming,
    initial: LoadedPair,
  ) {
    this.current = initial;
  }

  /** Loads the files; throws when they do not form a usable pair. */
  static async load(
    sources: CertificateSources,
    logger: Logger,
    timing: Partial<ReloaderTiming> = {},
  ): Promise<CertificateReloader> {
    const initial = validatePair(await readSources(sources));
    logger.info({ ...initial.summary, certFile: sources.certFile }, 'serving certificate loaded');
    return new CertificateReloader(sources, logger, { ...DEFAULT_TIMING, ...timing }, initial);
  }

  /** Options for the TLS server: the current pair, client CA and protocol floor. */
  secureContextOptions(): SecureContextOptions {
    return { ...TLS_DEFAULTS, cert: this.current.cert, key: this.current.key, ca: this.current.ca };
  }

  /** True while a certificate is loaded, which is from `load` on. */
  isReady(): boolean {
    return true;
  }

  /** Starts watching the files and applies each new good pair to `server`. */
  attach(server: TlsServer): void {
    this.server = server;
    const files = [this.sources.certFile, this.sources.keyFile, this.sources.clientCaFile];
    const directories = new Set(
      files.filter((file) => file !== undefined).map((file) => dirname(file)),
    );
    for (const directory of directories) this.watchDirectory(directory);
    this.poll = setInterval(() => this.scheduleReload(0), this.timing.pollIntervalMs);
    this.poll.unref();
  }

  private watchDirectory(directory: string): void {
    try {
      const watcher = watch(directory, { persistent: false }, () =>
        this.scheduleReload(this.timing.debounceMs),
      );
      watcher.on('error', (error) => {
        this.logger.warn(
          { directory, error: (error as Error).message },
          'watching certificate directory failed; polling continues',
        );
        watcher.close();
      });
      this.watchers.push(watcher);
    } catch (error) {
      this.logger.warn(
        { directory, error: (error as Error).message },
        'watching certificate directory failed; polling continues',
      );
    }
  }

  private scheduleReload(delayMs: number): void {
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.reload(), delayMs);
    this.debounce.unref();
  }

  /**
   * Reads the files and applies them when they changed and form a good pair.
   * Returns true when a new pair was applied. Every failure is logged and
   * returns false, so a timer can call this without a catch.
   */
  async reload(): Promise<boolean> {
    let files: Omit<LoadedPair, 'summary'>;
    try {
      files = await readSources(this.sources);
      this.lastReadError = undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.lastReadError) {
        this.logger.warn(
          { error: message },
          'reading certificate files failed; keeping the current certificate',
        );
      }
      this.lastReadError = message;
      return false;
    }
    if (sameFiles(files, this.current)) return false;
    if (this.rejected !== undefined && sameFiles(files, this.rejected)) return false;

    return this.apply(files);
  }

  private apply(files: Omit<LoadedPair, 'summary'>): boolean {
    let pair: LoadedPair;
    try {
      pair = validatePair(files);
    } catch (error) {
      // Logged once per distinct content, because the poll reads the same bad files every interval.
      this.rejected = files;
      this.logger.warn(
        {
          certFile: this.sources.certFile,
          keyFile: this.sources.keyFile,
          reason: (error as Error).message,
        },
        'certificate reload failed; keeping the previous certificate',
      );
      return false;
    }

    try {
      this.server?.setSecureContext({
        ...TLS_DEFAULTS,
        cert: pair.cert,
        key: pair.key,
        ca: pair.ca,
      });
    } catch (error) {
      this.rejected = files;
      this.logger.warn(
        { reason: (error as Error).message },
        'certificate reload failed; keeping the previous certificate',
      );
      return false;
    }
    this.current = pair;
    this.rejected = undefined;
    this.logger.info(
      { ...pair.summary, certFile: this.sources.certFile },
      'serving certificate reloaded',
    );
    return true;
  }

  /** Stops watching and polling. */
  close(): void {
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    if (this.poll !== undefined) clearInterval(this.poll);
    if (this.debounce !== undefined) clearTimeout(this.debounce);
  }
}
