import { generate } from 'selfsigned';

/** A certificate for a loopback address made at start-up: the fake Azure AD serves https, as MSAL requires. */
export async function loopbackCertificate(ip = '127.0.0.1'): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: ip }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 2 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
