// The peer that bench/peer.sh measures opsbot against: a minimal app on
// Slack's Bolt for JavaScript 5.1.0 with its built-in HTTP receiver. It
// answers one slash command, /metric, by parsing key=value pairs and
// acknowledging with a summary. It stores nothing.
//
// `authorize` returns a fixed bot token, so Bolt makes no network call
// (no auth.test) at start or per request. GET /healthz answers 200 so the
// benchmark can time start-to-ready the same way for both apps.
//
//   SLACK_SIGNING_SECRET=… PORT=3001 node app.js
'use strict';

const { App, LogLevel } = require('@slack/bolt');

const port = Number(process.env.PORT || 3001);
const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  authorize: async () => ({ botToken: 'xoxb-bench', botId: 'B0BENCH', botUserId: 'U0BENCH' }),
  endpoints: ['/slack/events', '/slack/commands'],
  logLevel: LogLevel.ERROR,
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok\n');
      },
    },
  ],
});

// parse reads key=value tokens; a value may have thousands separators.
function parse(text) {
  const values = {};
  const bad = [];
  for (const tok of text.split(/\s+/).filter(Boolean)) {
    const i = tok.indexOf('=');
    const n = i > 0 ? Number(tok.slice(i + 1).replace(/,/g, '')) : NaN;
    if (!Number.isFinite(n) || n < 0) {
      bad.push(tok);
      continue;
    }
    values[tok.slice(0, i).toLowerCase()] = n;
  }
  return { values, bad };
}

app.command('/metric', async ({ command, ack }) => {
  const { values, bad } = parse(command.text || '');
  if (bad.length > 0) {
    await ack({ response_type: 'ephemeral', text: `Not a key=value pair: ${bad.join(' ')}` });
    return;
  }
  const keys = Object.keys(values);
  await ack({
    response_type: 'in_channel',
    text: `<@${command.user_id}> logged ${keys.length} figure(s): ${keys.map((k) => `${k}=${values[k]}`).join(', ')}`,
  });
});

(async () => {
  await app.start(port);
  process.stderr.write(`bolt: listening on ${port}\n`);
})();
