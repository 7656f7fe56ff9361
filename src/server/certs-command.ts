// `odin-webhook certs`: creates a CA and a serving certificate for a webhook
// Service, and prints the CA as the base64 `caBundle` that a webhook
// configuration needs. For clusters without cert-manager.
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { createCertificateFiles, pathsIn, writeCertificateFiles } from './certificates.js';
import { EXIT_USAGE } from '../config.js';

export const CERTS_USAGE = `Usage: odin-webhook certs --dns NAME [--dns NAME...] [--ip IP...] [--out DIR] [--days N]

Writes ca.crt, tls.crt and tls.key to DIR (default certs) and prints the CA
certificate as base64, the caBundle of the webhook configurations.

Flags:
  --dns NAME   DNS name for the certificate, repeatable; for a webhook Service
               use <service>.<namespace>.svc
  --ip IP      IP address for the certificate, repeatable
  --out DIR    output directory (default certs)
  --days N     validity of the CA and certificate in days (default 365)
  --help       print this help`;

interface CertsOptions {
  dnsNames: string[];
  ipAddresses: string[];
  out: string;
  days: number;
}

/** Parses the arguments; returns an error message instead when they are unusable. */
function parseCertsArguments(argv: readonly string[]): CertsOptions | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        dns: { type: 'string', multiple: true },
        ip: { type: 'string', multiple: true },
        out: { type: 'string', default: 'certs' },
        days: { type: 'string', default: '365' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return (error as Error).message;
  }

  const dnsNames = values.dns ?? [];
  const ipAddresses = values.ip ?? [];
  const days = Number(values.days);
  if (dnsNames.length === 0 && ipAddresses.length === 0)
    return 'at least one --dns or --ip is required';
  const badIp = ipAddresses.find((address) => isIP(address) === 0);
  if (badIp !== undefined)
    return `invalid value ${JSON.stringify(badIp)} for --ip: must be an IPv4 or IPv6 address`;
  // A DNS name in a certificate may start with a wildcard label.
  const badName = dnsNames.find((name) => !/^(\*\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(name));
  if (badName !== undefined)
    return `invalid value ${JSON.stringify(badName)} for --dns: must be a DNS name`;
  if (!/^\d+$/.test(values.days ?? '') || days < 1 || days > 36_500) {
    return `invalid value ${JSON.stringify(values.days)} for --days: must be an integer from 1 to 36500`;
  }
  return { dnsNames, ipAddresses, out: values.out ?? 'certs', days };
}

/** Runs `certs` with its arguments and resolves with the exit code. */
export async function runCerts(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${CERTS_USAGE}\n`);
    return 0;
  }
  const options = parseCertsArguments(argv);
  if (typeof options === 'string') {
    process.stderr.write(`odin-webhook certs: ${options}; run with --help for usage\n`);
    return EXIT_USAGE;
  }

  const files = await createCertificateFiles({
    dnsNames: options.dnsNames,
    ipAddresses: options.ipAddresses,
    validityDays: options.days,
  });
  const paths = pathsIn(options.out);
  await writeCertificateFiles(paths, files);

  process.stderr.write(`wrote ${paths.caCert}, ${paths.cert} and ${paths.key}; caBundle:\n`);
  process.stdout.write(`${Buffer.from(files.caCert).toString('base64')}\n`);
  return 0;
}
