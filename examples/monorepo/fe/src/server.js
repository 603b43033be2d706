'use strict';

const http = require('node:http');
const { greeting } = require('./greeting');

const port = Number(process.env.PORT || 3000);

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(greeting(new URL(req.url, 'http://localhost').searchParams.get('region')) + '\n');
});

if (require.main === module) {
  server.listen(port, () => console.log(`frontend listening on ${port}`));
}

module.exports = { server };
