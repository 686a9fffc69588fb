import { describe, expect, it } from 'vitest';
import { FrameDemuxer, frame } from '../../src/hunter/docker/frames.ts';

describe('the Engine API frame demuxer', () => {
  it('splits stdout from stderr however the socket cuts the frames', () => {
    const stream = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err\n'), frame(1, 'out two\n')]);
    // Every possible cut into byte-sized chunks, the worst case of a slow socket.
    const demuxer = new FrameDemuxer();
    for (const byte of stream) demuxer.push(Buffer.from([byte]));
    const { stdout, stderr } = demuxer.result();
    expect(stdout.toString()).toBe('out one\nout two\n');
    expect(stderr.toString()).toBe('err\n');
  });

  it('keeps a payload that holds bytes of a frame header intact', () => {
    const binary = Buffer.from([1, 0, 0, 0, 0, 0, 0, 5, 65]);
    const demuxer = new FrameDemuxer();
    demuxer.push(Buffer.concat([frame(1, binary), frame(1, 'x')]));
    expect(demuxer.result().stdout).toEqual(Buffer.concat([binary, Buffer.from('x')]));
  });

  it('keeps the tail when the output passes the cap', () => {
    const demuxer = new FrameDemuxer(10);
    for (let i = 0; i < 100; i++) demuxer.push(frame(1, `line ${i}\n`));
    const out = demuxer.result().stdout.toString();
    expect(out.endsWith('line 99\n')).toBe(true);
    expect(out).not.toContain('line 0\n');
  });
});
