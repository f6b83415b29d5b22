// A local OAuth2/OpenID Connect provider for Obole's tests: oauth2-mock-server 8 on
// 127.0.0.1:PORT (enforces PKCE S256 when a verifier is sent), plus `PUT /_identity` that
// sets who the next user info answer says signed in (sub, email, email_verified, name).
// Usage: node tests/tools/oauth-provider.mjs PORT
import http from "node:http";
import { OAuth2Issuer, OAuth2Service } from "oauth2-mock-server";

const port = Number.parseInt(process.argv[2] ?? "", 10);
if (!Number.isInteger(port)) {
  console.error("usage: oauth-provider.mjs PORT");
  process.exit(2);
}
const issuer = new OAuth2Issuer();
issuer.url = `http://127.0.0.1:${port}`;
await issuer.keys.generate("RS256");
const service = new OAuth2Service(issuer);

let identity = { sub: "johndoe" };
service.on("beforeUserinfo", (response) => {
  response.body = { ...identity };
});

const server = http.createServer((req, res) => {
  if (req.method === "PUT" && req.url === "/_identity") {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      try {
        identity = JSON.parse(body);
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
    return;
  }
  service.requestHandler(req, res);
});
server.listen(port, "127.0.0.1", () => console.log(`listening on ${issuer.url}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
