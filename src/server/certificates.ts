// Creates a certificate authority and certificates signed by it, with
// @peculiar/x509 over Node's WebCrypto: for `odin-webhook certs`, for the
// development certificate that `serve` creates on first run, and for tests.
// Keys are ECDSA P-256, which Go's crypto/tls in the apiserver accepts.
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type * as X509 from '@peculiar/x509';

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdating tolerates clocks a few minutes behind the one that signed. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

// The provider is passed to every call instead of being set globally, so
// importing this module changes nothing.
const crypto = webcrypto;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

let library: Promise<typeof X509> | undefined;

/** Loads @peculiar/x509 on first use, after the metadata API its dependencies need. */
function loadX509(): Promise<typeof X509> {
  if (library === undefined) {
    // tsyringe, which @peculiar/x509 uses, throws on import unless the
    // Reflect metadata API is installed first.
    library = import('reflect-metadata').then(() => import('@peculiar/x509'));
  }
  return library;
}

/** A certificate with the key pair that it certifies. */
export interface KeyedCertificate {
  certificate: X509.X509Certificate;
  keys: CryptoKeyPair;
}

/** PEM files of a CA and a certificate it signed. */
export interface CertificateFiles {
  caCert: string;
  cert: string;
  key: string;
}

export interface IssueOptions {
  dnsNames: readonly string[];
  ipAddresses?: readonly string[];
  /** `server` for a serving certificate, `client` for client authentication. */
  usage?: 'server' | 'client';
  validityDays?: number;
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - CLOCK_SKEW_MS), notAfter: new Date(now + days * DAY_MS) };
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(KEY_ALGORITHM, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

/** Creates a self-signed CA that may sign end-entity certificates only. */
export async function createCertificateAuthority(
  commonName: string,
  validityDays = 365,
): Promise<KeyedCertificate> {
  const x509 = await loadX509();
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: `CN=${commonName}`,
      keys,
      signingAlgorithm: SIGNING_ALGORITHM,
      ...validity(validityDays),
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certificate, keys };
}

/**
 * Issues a certificate signed by `ca`. The names go into the subject
 * alternative names, because Go's TLS client reads names only there. The
 * common name is the first DNS name, for people reading the certificate.
 */
export async function issueCertificate(
  ca: KeyedCertificate,
  options: IssueOptions,
): Promise<KeyedCertificate> {
  const x509 = await loadX509();
  const keys = await generateKeys();
  const names: X509.JsonGeneralNames = [
    ...options.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const usage = options.usage ?? 'server';
  const certificate = await x509.X509CertificateGenerator.create(
    {
      subject: `CN=${options.dnsNames[0] ?? options.ipAddresses?.[0] ?? 'odin-webhook'}`,
      issuer: ca.certificate.subject,
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      ...validity(options.validityDays ?? 365),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension(
          [
            usage === 'server'
              ? x509.ExtendedKeyUsage.serverAuth
              : x509.ExtendedKeyUsage.clientAuth,
          ],
          false,
        ),
        new x509.SubjectAlternativeNameExtension(names, false),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(ca.certificate, false, crypto),
      ],
    },
    crypto,
  );
  return { certificate, keys };
}

/** Returns the private key as PKCS #8 PEM, the form Node's TLS and Go's both read. */
export async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const x509 = await loadX509();
  const der = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Creates a CA and a certificate it signed, as PEM text. */
export async function createCertificateFiles(
  options: IssueOptions & { caName?: string },
): Promise<CertificateFiles> {
  const ca = await createCertificateAuthority(
    options.caName ?? 'odin-webhook CA',
    options.validityDays,
  );
  const leaf = await issueCertificate(ca, options);
  return {
    caCert: ca.certificate.toString('pem'),
    cert: leaf.certificate.toString('pem'),
    key: await privateKeyPem(leaf.keys),
  };
}

/** Paths of the three PEM files of a CertificateFiles. */
export interface CertificatePaths {
  caCert: string;
  cert: string;
  key: string;
}

/** Returns the conventional paths in one directory: ca.crt, tls.crt and tls.key. */
export function pathsIn(directory: string): CertificatePaths {
  return {
    caCert: join(directory, 'ca.crt'),
    cert: join(directory, 'tls.crt'),
    key: join(directory, 'tls.key'),
  };
}

/** Writes the PEM files, creating their directories. The key is readable by its owner only. */
export async function writeCertificateFiles(
  paths: CertificatePaths,
  files: CertificateFiles,
): Promise<void> {
  for (const path of [paths.caCert, paths.cert, paths.key]) {
    await mkdir(dirname(path), { recursive: true });
  }
  await writeFile(paths.caCert, files.caCert);
  await writeFile(paths.cert, files.cert);
  await writeFile(paths.key, files.key, { mode: 0o600 });
}
