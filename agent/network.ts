import net from "node:net";

/**
 * cluster_network over plain TCP between agents. Each agent listens; a peer connects and
 * sends one header line, then either ping-pong frames (echoed back) or a bulk stream that
 * ends with a half-close, answered with the byte count received. Bounded in bytes and time.
 */
const PING_FRAME = 8;
const CHUNK = 4 * 2 ** 20;
/** Parallel connections per bulk measurement: one TCP stream rarely fills a fast NIC. */
export const BULK_STREAMS = 4;

export interface NetworkListener {
  port: number;
  close: () => Promise<void>;
}

export function listen(port: number, host: string): Promise<NetworkListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.setNoDelay(true);
    let header = "";
    let mode: "ping" | "bulk" | null = null;
    let received = 0;
    socket.on("data", (data: Buffer) => {
      if (mode === "ping") return void socket.write(data);
      if (mode === "bulk") return void (received += data.length);
      header += data.toString("latin1");
      const nl = header.indexOf("\n");
      if (nl < 0) return header.length > 1024 ? socket.destroy() : undefined;
      const op = header.slice(0, nl).trim();
      const rest = Buffer.from(header.slice(nl + 1), "latin1");
      if (op === "ping") {
        mode = "ping";
        if (rest.length) socket.write(rest);
      } else if (op === "bulk") {
        mode = "bulk";
        received += rest.length;
      } else socket.destroy();
    });
    socket.on("end", () => (mode === "bulk" ? socket.end(`${received}\n`) : socket.end()));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function connect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`connect to ${host}:${port}: ${err.message}`));
    });
  });
}

/** Round-trip times of `iterations` 8-byte frames (stops early at `maxMs`); µs each. */
export async function pingPong(host: string, port: number, iterations: number, maxMs: number): Promise<number[]> {
  const socket = await connect(host, port, 10_000);
  try {
    socket.write("ping\n");
    const rtts: number[] = [];
    const frame = Buffer.alloc(PING_FRAME, 1);
    const deadline = performance.now() + maxMs;
    let pending: Buffer = Buffer.alloc(0);
    const nextEcho = () =>
      new Promise<void>((resolve, reject) => {
        const onData = (d: Buffer) => {
          pending = Buffer.concat([pending, d]);
          if (pending.length >= PING_FRAME) {
            pending = pending.subarray(PING_FRAME);
            cleanup();
            resolve();
          }
        };
        const onClose = () => {
          cleanup();
          reject(new Error(`${host}:${port} closed the connection during ping-pong`));
        };
        const cleanup = () => {
          socket.off("data", onData);
          socket.off("close", onClose);
        };
        socket.on("data", onData);
        socket.once("close", onClose);
      });
    // One unmeasured round trip warms the path (connection, socket buffers).
    for (let i = 0; i <= iterations && performance.now() < deadline; i++) {
      const t0 = performance.now();
      const echoed = nextEcho();
      socket.write(frame);
      await echoed;
      if (i > 0) rtts.push((performance.now() - t0) * 1000);
    }
    return rtts;
  } finally {
    socket.destroy();
  }
}

/** Streams up to `bytes` (or for `maxMs`) to the peer; resolves with the bytes it confirmed receiving. */
async function bulkStream(host: string, port: number, bytes: number, maxMs: number): Promise<number> {
  const socket = await connect(host, port, 10_000);
  try {
    const answer = new Promise<number>((resolve, reject) => {
      let text = "";
      socket.on("data", (d) => (text += d.toString()));
      socket.once("end", () =>
        /^\d+\n$/.test(text)
          ? resolve(Number(text))
          : reject(new Error(`${host}:${port} answered '${text.slice(0, 40)}' to a bulk transfer`)),
      );
      socket.once("error", reject);
    });
    socket.write("bulk\n");
    const chunk = Buffer.alloc(Math.min(CHUNK, Math.max(1, bytes)), 0xa5);
    const deadline = performance.now() + maxMs;
    let sent = 0;
    while (sent < bytes && performance.now() < deadline) {
      const n = Math.min(chunk.length, bytes - sent);
      if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n)))
        await new Promise((r) => socket.once("drain", r));
      sent += n;
    }
    socket.end();
    return await answer;
  } finally {
    socket.destroy();
  }
}

/** Bulk bandwidth to a peer in Gbps over BULK_STREAMS parallel connections. */
export async function bulkBandwidthGbps(host: string, port: number, bytes: number, maxMs: number): Promise<number> {
  const per = Math.max(1, Math.floor(bytes / BULK_STREAMS));
  const t0 = performance.now();
  const received = await Promise.all(Array.from({ length: BULK_STREAMS }, () => bulkStream(host, port, per, maxMs)));
  const seconds = (performance.now() - t0) / 1000;
  const total = received.reduce((a, b) => a + b, 0);
  return (total * 8) / seconds / 1e9;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
