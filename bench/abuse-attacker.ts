/**
 * The attackers of bench/abuse.ts, in a process of their own: anonymous uploads to management
 * addresses, a sign-in flood with wrong passwords, and registrations, all at once for a while.
 * Usage: tsx bench/abuse-attacker.ts BASE_URL SECONDS [--spread]
 * With --spread every request claims another client address (X-Forwarded-For, which the server
 * trusts from loopback only), as a botnet's would differ. Prints one JSON line of what it got.
 */
import net from 'node:net';

const [base, secondsText] = process.argv.slice(2);
const spread = process.argv.includes('--spread');
/** `--only=upload|signIn|register`: one kind of attack, to see what each costs. */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const until = Date.now() + Number(secondsText) * 1000;
const url = new URL(base!);
const statuses: Record<string, Record<string, number>> = { upload: {}, signIn: {}, register: {} };
let uploadBytesSent = 0;

const count = (kind: string, status: number | string) => {
  const bucket = statuses[kind]!;
  bucket[status] = (bucket[status] ?? 0) + 1;
};
let addressCounter = 0;
const address = () => {
  addressCounter++;
  return `198.18.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
};
const spoof = (): Record<string, string> => (spread ? { 'x-forwarded-for': address() } : {});

/** An anonymous multipart upload of 100 MB to the OJS import, sent as fast as the server takes it. */
function upload(): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let answered = false;
    let head = '';
    socket.on('connect', () => {
      const extra = Object.entries(spoof()).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`POST /sm/management/ojs/import HTTP/1.1\r\nhost: ${url.host}\r\n${extra}content-type: multipart/form-data; boundary=x\r\ncontent-length: ${100 * 1024 * 1024}\r\n\r\n--x\r\ncontent-disposition: form-data; name="document"; filename="a.xml"\r\n\r\n`);
      const pump = () => {
        while (!answered && !socket.destroyed && socket.write(chunk)) uploadBytesSent += chunk.length;
      };
      socket.on('drain', pump);
      pump();
    });
    socket.on('data', (data: Buffer) => {
      head += data.toString('latin1');
      if (!answered && head.includes('\r\n')) {
        answered = true;
        count('upload', Number(head.split(' ')[1]));
      }
    });
    const done = () => {
      if (!answered) count('upload', 'no answer');
      resolve();
    };
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}

async function form(path: string): Promise<{ cookie: string; token: string }> {
  const page = await fetch(`${base}${path}`, { headers: spoof() });
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  return { cookie, token };
}

async function signIn(n: number): Promise<void> {
  const { cookie, token } = await form('/login');
  const response = await fetch(`${base}/login/signIn`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...spoof() },
    body: new URLSearchParams({ _csrf: token, email: n % 3 === 0 ? 'admin@localhost.localdomain' : `victim${n % 50}@example.org`, password: `wrong password ${n}` }).toString(),
  });
  await response.arrayBuffer();
  count('signIn', response.status);
}

async function register(n: number): Promise<void> {
  const { cookie, token } = await form('/user/register');
  const response = await fetch(`${base}/user/register`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...spoof() },
    body: new URLSearchParams({ _csrf: token, 'givenName.en': `Bot ${n}`, 'givenName.pl': `Bot ${n}`, email: `bot${process.pid}-${n}@example.org`, password: 'a long enough password', password2: 'a long enough password', privacyConsent: 'on' }).toString(),
  });
  await response.arrayBuffer();
  count('register', response.status);
}

async function loop(work: (n: number) => Promise<void>, kind: string): Promise<void> {
  let n = 0;
  while (Date.now() < until) {
    try {
      await work(n++);
    } catch (error) {
      count(kind, (error as Error).message.slice(0, 40));
    }
  }
}

const attacks = [
  ...Array.from({ length: 8 }, () => ['upload', () => loop(upload, 'upload')] as const),
  ...Array.from({ length: 8 }, () => ['signIn', () => loop(signIn, 'signIn')] as const),
  ...Array.from({ length: 4 }, () => ['register', () => loop(register, 'register')] as const),
];
await Promise.all(attacks.filter(([kind]) => !only || kind === only).map(([, run]) => run()));
process.stdout.write(`${JSON.stringify({ statuses, uploadBytesSent })}\n`);
