// Certificates and keys made fresh for each end-to-end run: one CA that signs
// the apiserver's and the webhook's serving certificates (both for 127.0.0.1),
// the service-account signing key pair, and a random admin token.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createCertificateAuthority,
  issueCertificate,
  privateKeyPem,
} from '../../../src/server/certificates.js';

export interface Pki {
  caCert: string;
  caPem: string;
  apiserverCert: string;
  apiserverKey: string;
  webhookCert: string;
  webhookKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
  adminToken: string;
}

const LOOPBACK = { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] };

/** Writes every file into `directory` and returns their paths. */
export async function createPki(directory: string): Promise<Pki> {
  const ca = await createCertificateAuthority('odin-webhook e2e CA', 2);
  const caPem = ca.certificate.toString('pem');
  const apiserver = await issueCertificate(ca, { ...LOOPBACK, validityDays: 2 });
  const webhook = await issueCertificate(ca, { ...LOOPBACK, validityDays: 2 });
  // The apiserver signs service-account tokens with this key; ECDSA P-256 is accepted as ES256.
  const serviceAccount = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  const pki: Pki = {
    caCert: join(directory, 'ca.crt'),
    caPem,
    apiserverCert: join(directory, 'apiserver.crt'),
    apiserverKey: join(directory, 'apiserver.key'),
    webhookCert: join(directory, 'webhook.crt'),
    webhookKey: join(directory, 'webhook.key'),
    serviceAccountKey: join(directory, 'sa.key'),
    serviceAccountPublicKey: join(directory, 'sa.pub'),
    adminToken: randomBytes(24).toString('hex'),
  };
  await writeFile(pki.caCert, caPem);
  await writeFile(pki.apiserverCert, apiserver.certificate.toString('pem'));
  await writeFile(pki.apiserverKey, await privateKeyPem(apiserver.keys), { mode: 0o600 });
  await writeFile(pki.webhookCert, webhook.certificate.toString('pem'));
  await writeFile(pki.webhookKey, await privateKeyPem(webhook.keys), { mode: 0o600 });
  await writeFile(
    pki.serviceAccountKey,
    serviceAccount.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    { mode: 0o600 },
  );
  await writeFile(
    pki.serviceAccountPublicKey,
    serviceAccount.publicKey.export({ type: 'spki', format: 'pem' }),
  );
  return pki;
}
