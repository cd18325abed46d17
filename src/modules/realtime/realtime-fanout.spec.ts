import WebSocket from 'ws';
import { textFrame } from './realtime-fanout';

/** ws's frame parser (exported by ws as WebSocket.Receiver), to read what textFrame builds. */
const { Receiver } = WebSocket as unknown as {
  Receiver: new (options: { isServer: boolean }) => NodeJS.WritableStream & {
    on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  };
};

/** What ws's own client-side parser reads from the frames the fan-out writes straight to the socket. */
function parse(frames: Buffer[]): { text: string; binary: boolean }[] {
  const receiver = new Receiver({ isServer: false });
  const out: { text: string; binary: boolean }[] = [];
  receiver.on('message', (data, isBinary) => out.push({ text: data.toString('utf8'), binary: isBinary }));
  for (const frame of frames) receiver.write(frame);
  return out;
}

it('builds unmasked text frames with the 7-bit, 16-bit and 64-bit lengths, read back whole by ws', () => {
  const texts = ['', '{"type":"subscription"}', 'é'.repeat(63), 'x'.repeat(125), 'y'.repeat(126), 'z'.repeat(65535)];
  texts.push(`{"data":"${'w'.repeat(70_000)}","uid":"ü"}`);
  const frames = texts.map((t) => textFrame(Buffer.from(t)));
  expect(frames.map((f) => [f[0], f[1]])).toEqual([
    [0x81, 0],
    [0x81, 23],
    [0x81, 126],
    [0x81, 125],
    [0x81, 126],
    [0x81, 126],
    [0x81, 127],
  ]);
  expect(parse(frames)).toEqual(texts.map((text) => ({ text, binary: false })));
});
