// A Kombo webhook receiver's signature check, written from Kombo's webhooks page
// (docs.kombo.dev/webhooks, "Validate the data"): HMAC-SHA256 of the request body with the
// Kombo webhook secret, digested with base64url encoding (no trailing '=' padding), compared
// with the X-Kombo-Signature header as strings.
//
// Usage: node kombo_receiver.mjs <secret> <header value>  (raw body on stdin)
// Exit 0 when the signature matches, 1 when it does not.
import { createHmac } from "node:crypto";

const [secret, header] = process.argv.slice(2);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const body = Buffer.concat(chunks);
const expected = createHmac("sha256", secret).update(body).digest("base64url");
if (expected === header) {
  process.exit(0);
}
console.error(`signature mismatch: expected ${expected}, got ${header}`);
process.exit(1);
