// With --client-ca the admission server takes only clients whose certificate
// chains to that CA, as an apiserver configured with a client certificate.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import {
  createCertificateAuthority,
  issueCertificate,
  privateKeyPem,
} from '../../src/server/certificates.js';
import { startServer } from '../../src/server/serve.js';
import {
  captureLogger,
  makeServingFiles,
  post,
  reviewBody,
  testConfig,
  testWebhooks,
  writeServingFiles,
} from './helpers.js';

async function clientPair(caName: string): Promise<{ ca: string; cert: string; key: string }> {
  const ca = await createCertificateAuthority(caName);
  const client = await issueCertificate(ca, { dnsNames: ['kube-apiserver'], usage: 'client' });
  return {
    ca: ca.certificate.toString('pem'),
    cert: client.certificate.toString('pem'),
    key: await privateKeyPem(client.keys),
  };
}

t.test('client certificate required with --client-ca', async (t) => {
  const serving = await makeServingFiles();
  const paths = await writeServingFiles(serving);
  const trusted = await clientPair('apiserver client CA');
  const stranger = await clientPair('some other CA');
  const clientCaFile = join(paths.directory, 'client-ca.crt');
  await writeFile(clientCaFile, trusted.ca);

  const { logger } = captureLogger();
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile, ['--client-ca', clientCaFile]),
    logger,
    webhooks: testWebhooks().webhooks,
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(paths.directory, { recursive: true, force: true });
  });
  const port = server.admissionPort;
  const body = reviewBody('uid-mtls');

  const accepted = await post(port, '/allow', {
    ca: serving.caCert,
    cert: trusted.cert,
    key: trusted.key,
    body,
  });
  t.equal(accepted.status, 200, 'a certificate from the client CA is accepted');
  t.equal(JSON.parse(accepted.body).response.uid, 'uid-mtls');

  await t.rejects(
    post(port, '/allow', { ca: serving.caCert, body }),
    'a client without a certificate is refused',
  );
  await t.rejects(
    post(port, '/allow', { ca: serving.caCert, cert: stranger.cert, key: stranger.key, body }),
    'a certificate from another CA is refused',
  );
});

t.test('no client certificate needed without --client-ca', async (t) => {
  const serving = await makeServingFiles();
  const paths = await writeServingFiles(serving);
  const { logger } = captureLogger();
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile),
    logger,
    webhooks: testWebhooks().webhooks,
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(paths.directory, { recursive: true, force: true });
  });

  const response = await post(server.admissionPort, '/allow', {
    ca: serving.caCert,
    body: reviewBody(),
  });
  t.equal(response.status, 200);
});
