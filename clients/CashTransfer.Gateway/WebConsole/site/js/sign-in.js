// Sign-in: the user picks their key file; the browser imports it with WebCrypto, signs the service's one-time
// challenge and sends the signature with the public key. The private key is never sent anywhere.
import { report, signIn } from './api.js';

const P256 = { name: 'ECDSA', namedCurve: 'P-256' };

/** The DER bytes inside a PEM block of the given label. */
function pemBody(pem, label) {
  const match = pem.match(new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`));
  if (!match) return null;
  const text = atob(match[1].replace(/\s+/g, ''));
  return Uint8Array.from(text, c => c.charCodeAt(0));
}

function base64(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)));
}

/** The key pair of a PKCS#8 PEM file: the private key to sign with, the public key (SubjectPublicKeyInfo) to name it. */
async function importKeyFile(pem) {
  const der = pemBody(pem, 'PRIVATE KEY');
  if (!der) {
    throw new Error(pemBody(pem, 'EC PRIVATE KEY')
      ? 'This is a SEC1 key ("EC PRIVATE KEY"); convert it to PKCS#8 first: openssl pkcs8 -topk8 -nocrypt -in key.pem'
      : 'This file holds no PKCS#8 private key ("-----BEGIN PRIVATE KEY-----").');
  }
  let privateKey;
  try {
    privateKey = await crypto.subtle.importKey('pkcs8', der, P256, true, ['sign']);
  } catch {
    throw new Error('This key is not an ECDSA P-256 key.');
  }
  // WebCrypto cannot export a public key from a private one directly; its JWK form carries the public point.
  const { x, y } = await crypto.subtle.exportKey('jwk', privateKey);
  const publicKey = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x, y }, P256, true, ['verify']);
  return { privateKey, spki: await crypto.subtle.exportKey('spki', publicKey) };
}

async function signInWith(file) {
  const { privateKey, spki } = await importKeyFile(await file.text());
  // WebCrypto signs in IEEE P1363 form (r||s), which the service's sign-in accepts.
  return signIn(base64(spki), async text =>
    base64(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode(text))));
}

const status = document.querySelector('#sign-in-status');
document.querySelector('#sign-in-form').addEventListener('submit', async event => {
  event.preventDefault();
  const file = document.querySelector('#key-file').files[0];
  if (!file) return;
  report(status, 'Signing in…');
  try {
    const session = await signInWith(file);
    report(status, `Signed in as ${session.keyId}.`);
    location.assign(session.role === 'Auditor' ? '/auditor.html' : '/operator.html');
  } catch (e) {
    report(status, `Sign-in refused: ${e.message}`, true);
  }
});
