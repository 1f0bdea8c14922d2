/**
 * The event-file writer, read back by an independent reader (protobufjs +
 * a native CRC-32C): CRC-32C on published vectors, varints, every event
 * kind, and a run log across a resume.
 */
import { crc32c as nativeCrc32c } from '@node-rs/crc32';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import type { ScoresRecord } from '../../shared/scores';
import { crc32c, maskedCrc32c } from './crc32c';
import { EventFile } from './event-file';
import { encodeVarint } from './protobuf';
import { openTensorBoardLog, scoreScalars } from './run-log';
import { readEventFile, scalarSeries } from './test-reader';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tensorboard-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const ascii = (text: string) => new TextEncoder().encode(text);

describe('CRC-32C', () => {
  it('matches the published check values', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, of 0xff, and ascending 0..31.
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
  });

  it('agrees with a native implementation on other data, and masks as TensorFlow does', () => {
    for (const length of [1, 7, 64, 1000]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      expect(crc32c(data)).toBe(nativeCrc32c(Buffer.from(data)) >>> 0);
    }
    // mask(crc) = rotr15(crc) + 0xa282ead8: the empty input's CRC 0 masks to the constant itself.
    expect(maskedCrc32c(new Uint8Array(0))).toBe(0xa282ead8);
    const crc = 0xe3069283;
    expect(maskedCrc32c(ascii('123456789'))).toBe(((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });
});

describe('protobuf varints', () => {
  it('encodes base-128, least significant group first', () => {
    expect([...encodeVarint(0)]).toEqual([0]);
    expect([...encodeVarint(1)]).toEqual([1]);
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02]);
    expect([...encodeVarint(2 ** 35)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(() => encodeVarint(-1)).toThrow(/non-negative/);
  });
});

describe('event files', () => {
  it('write the version, scalars, images and session starts that an independent reader decodes', async () => {
    const dir = join(root, 'raw');
    await mkdir(dir);
    const file = await EventFile.create(dir, () => 1_700_000_000_500);
    expect(file.path).toMatch(/events\.out\.tfevents\.1700000000\.[^/]+$/);
    const png = await sharp({ create: { width: 6, height: 4, channels: 3, background: '#ff0000' } }).png().toBuffer();
    await file.append([
      { time: 1_700_000_001_000, step: 1, body: { summary: [{ tag: 'gen_loss', scalar: 0.75 }, { tag: 'fake_accuracy', scalar: 0 }] } },
      { time: 1_700_000_002_000, step: 2 ** 40, body: { summary: [{ tag: 'samples', image: { png, width: 6, height: 4, channels: 3 } }] } },
      { time: 1_700_000_003_000, step: 7, body: { sessionStart: true } },
    ]);
    const events = await readEventFile(file.path);
    expect(events[0]).toEqual({ wallTime: 1_700_000_000.5, step: 0, fileVersion: 'brain.Event:2' });
    expect(events[1]).toEqual({ wallTime: 1_700_000_001, step: 1, summary: { value: [{ tag: 'gen_loss', simpleValue: 0.75 }, { tag: 'fake_accuracy', simpleValue: 0 }] } });
    expect(events[2]!.step).toBe(2 ** 40);
    const image = events[2]!.summary!.value[0]!.image!;
    expect({ height: image.height, width: image.width, colorspace: image.colorspace }).toEqual({ height: 4, width: 6, colorspace: 3 });
    expect(Buffer.from(image.encodedImageString).equals(png)).toBe(true);
    expect(events[3]).toEqual({ wallTime: 1_700_000_003, step: 7, sessionLog: { status: 'START' } });

    // A second session in the same second gets its own file; a flipped byte fails the CRC.
    const second = await EventFile.create(dir, () => 1_700_000_000_900);
    expect(second.path).toBe(`${file.path}.1`);
    const bytes = await readFile(file.path);
    bytes[30] = bytes[30]! ^ 0xff;
    await writeFile(file.path, bytes);
    await expect(readEventFile(file.path)).rejects.toThrow(/bad data CRC/);
  });
});

/** A scores.jsonl line as the score hook writes it. */
const scoresRecord = (epoch: number, scores: ScoresRecord['scores']): ScoresRecord => ({
  epoch,
  step: epoch * 2,
  seconds: 0.5,
  sampleSize: 100,
  feature: { network: 'random projection of 16×16 pixels' },
  scores,
});

describe('run log', () => {
  const stepRecord = (step: number): StepMetrics => ({ step, epoch: Math.ceil(step / 2), gen_loss: step, disc_loss: -step, real_accuracy: 0.5, fake_accuracy: 0.25, ms: 10 });
  const epochRecord = (epoch: number): EpochMetrics => ({
    epoch,
    step: epoch * 2,
    gen_loss: epoch,
    disc_loss: 2,
    real_accuracy: 0.5,
    fake_accuracy: 0.25,
    images_per_second: 100,
    seconds: 0.1,
  });

  it('logs every metric under its own name, epoch means, scores and grids, and marks a resume', async () => {
    const runDir = join(root, 'run');
    await mkdir(join(runDir, 'samples'), { recursive: true });
    const grid = await sharp(new Uint8Array(34 * 34).fill(128), { raw: { width: 34, height: 34, channels: 1 } }).png().toBuffer();
    let clock = 1_700_000_000_000;
    const now = () => clock;
    const first = await openTensorBoardLog({ runDir, startStep: 0, earlySampleSteps: [1], now });
    for (const step of [1, 2]) {
      if (step === 1) await writeFile(join(runDir, 'samples', 'step-000001.png'), grid);
      await first.onStep({ step, metrics: stepRecord(step) });
    }
    await writeFile(join(runDir, 'samples', 'epoch-0001.png'), grid);
    await writeFile(join(runDir, 'scores.jsonl'), `${JSON.stringify(scoresRecord(1, { kid: { value: 0.12, std: 0.01, n: 100 }, fid: { value: 31.5, std: 1, n: 100 } }))}\n`);
    await first.onEpochEnd({ step: 2, completedEpochs: 1, metrics: epochRecord(1) });
    await first.onStep({ step: 3, metrics: stepRecord(3) });
    await first.onStop();

    clock += 1_000;
    const second = await openTensorBoardLog({ runDir, startStep: 2, earlySampleSteps: [1], now });
    await second.onStep({ step: 3, metrics: stepRecord(3) });
    clock += 6_000; // past STEP_FLUSH_MS: written without waiting for the epoch end
    await second.onStep({ step: 4, metrics: stepRecord(4) });

    const files = (await readdir(runDir)).filter((name) => name.startsWith('events.out.tfevents.')).sort();
    expect(files).toHaveLength(2);
    const [a, b] = [await readEventFile(join(runDir, files[0]!)), await readEventFile(join(runDir, files[1]!))];
    const series = scalarSeries(a);
    expect([...series.keys()].sort()).toEqual(
      ['disc_loss', 'epoch/disc_loss', 'epoch/fake_accuracy', 'epoch/gen_loss', 'epoch/images_per_second', 'epoch/real_accuracy', 'epoch/seconds', 'fake_accuracy', 'gen_loss', 'ms', 'real_accuracy', 'scores/fid', 'scores/kid'].sort(),
    );
    expect(series.get('gen_loss')).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(series.get('disc_loss')).toEqual([[1, -1], [2, -2], [3, -3]]);
    expect(series.get('epoch/gen_loss')).toEqual([[2, 1]]);
    expect(series.get('scores/kid')![0]![1]).toBeCloseTo(0.12, 6);
    expect(series.get('scores/fid')).toEqual([[2, 31.5]]);
    const images = a.flatMap((event) => (event.summary?.value ?? []).filter((v) => v.image).map((v) => ({ step: event.step, tag: v.tag, ...v.image!, encodedImageString: undefined })));
    // The colorspace is the PNG's own channel count (sharp writes gray pixels as an RGB PNG).
    const colorspace = (await sharp(grid).metadata()).channels;
    expect(images).toEqual([
      { step: 1, tag: 'samples', height: 34, width: 34, colorspace, encodedImageString: undefined },
      { step: 2, tag: 'samples', height: 34, width: 34, colorspace, encodedImageString: undefined },
    ]);
    // The resumed session: its version, SessionLog START at its first step, then its steps.
    expect(b[0]!.fileVersion).toBe('brain.Event:2');
    expect(b[1]).toMatchObject({ step: 3, sessionLog: { status: 'START' } });
    expect(scalarSeries(b).get('gen_loss')).toEqual([[3, 3], [4, 4]]);
  });

  it('logs each score present in a scores record by its value', () => {
    const record = scoresRecord(2, { recall: { value: 0.5, std: 0.1, n: 50 }, swd: { value: 4, std: 1, n: 50 } });
    expect(scoreScalars(record)).toEqual([
      { tag: 'scores/swd', scalar: 4 },
      { tag: 'scores/recall', scalar: 0.5 },
    ]);
  });
});
