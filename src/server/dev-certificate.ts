// The development certificate that `serve` creates on a fresh checkout, so
// that `npm start` works without a cluster or cert-manager.
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { createCertificateFiles, writeCertificateFiles } from './certificates.js';

/** Names a local client can use to reach the development server. */
const LOCAL_DNS_NAMES = ['localhost'];
const LOCAL_IP_ADDRESSES = ['127.0.0.1', '::1'];

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates a local CA and a serving certificate for localhost, 127.0.0.1 and
 * ::1 when neither the certificate nor the key file exists; the CA goes to
 * ca.crt beside the certificate. Returns true when it created them. Throws
 * when only one of the two files exists, since a half-present pair is a
 * deployment mistake that a new key would hide.
 */
export async function ensureServingCertificate(
  certFile: string,
  keyFile: string,
  logger: Logger,
): Promise<boolean> {
  const [certExists, keyExists] = await Promise.all([exists(certFile), exists(keyFile)]);
  if (certExists && keyExists) return false;
  if (certExists !== keyExists) {
    const missing = certExists ? keyFile : certFile;
    throw new Error(
      `TLS file ${missing} is missing; provide both --tls-cert and --tls-key, or neither for a development certificate`,
    );
  }

  const caFile = join(dirname(certFile), 'ca.crt');
  const files = await createCertificateFiles({
    dnsNames: LOCAL_DNS_NAMES,
    ipAddresses: LOCAL_IP_ADDRESSES,
    caName: 'odin-webhook development CA',
  });
  await writeCertificateFiles({ caCert: caFile, cert: certFile, key: keyFile }, files);
  logger.warn(
    { certFile, keyFile, caFile, names: [...LOCAL_DNS_NAMES, ...LOCAL_IP_ADDRESSES] },
    'created a development CA and serving certificate; clients must trust the CA file',
  );
  return true;
}
