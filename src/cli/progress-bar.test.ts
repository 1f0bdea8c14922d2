import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgressLine, PARENT_TTY_COLUMNS_ENV } from './progress-bar';

/** What a terminal shows after `written`: \r returns to the line's start, ESC[K erases to its end. */
function screen(written: string): string[] {
  const lines: string[] = [''];
  let column = 0;
  for (let i = 0; i < written.length; i++) {
    const char = written[i]!;
    if (char === '\r') column = 0;
    else if (char === '\n') {
      lines.push('');
      column = 0;
    } else if (written.startsWith('\x1b[K', i)) {
      lines[lines.length - 1] = lines.at(-1)!.slice(0, column);
      i += 2;
    } else {
      const line = lines.at(-1)!;
      lines[lines.length - 1] = line.slice(0, column) + char + line.slice(column + 1);
      column += 1;
    }
  }
  return lines;
}

function tty(columns = 200) {
  let written = '';
  return { stream: { isTTY: true, columns, write: (text: string) => ((written += text), true) }, screen: () => screen(written) };
}

describe('the progress line on a terminal', () => {
  it('a shorter finishing line leaves nothing of the bar behind it', () => {
    const out = tty();
    const progress = createProgressLine(out.stream);
    progress.update(1, 'importing: write 10000/10000');
    progress.done('dataset: Fashion-MNIST — 10000 images 16×16×1');
    expect(out.screen()).toEqual(['dataset: Fashion-MNIST — 10000 images 16×16×1', '']);
  });

  it('a shorter redraw and an epoch line over a step line read as written', () => {
    const out = tty();
    const progress = createProgressLine(out.stream);
    progress.update(0.5, 'epoch 1/8 step 100/156 g 0.700 d 1.300 fake_acc 0.50 281.2 img/s ETA 36s');
    progress.update(0.5, 'epoch 1/8 step 101/156 g 0.7 d 1.3 fake_acc 0.5 281.2 img/s ETA 9s');
    expect(out.screen()[0]).toBe('[############------------]  50% epoch 1/8 step 101/156 g 0.7 d 1.3 fake_acc 0.5 281.2 img/s ETA 9s');
    progress.done('epoch 1/8: gen_loss 0.7 281.2 img/s (36s)');
    expect(out.screen()).toEqual(['epoch 1/8: gen_loss 0.7 281.2 img/s (36s)', '']);
  });

  it('a terminal that reports 0 columns (a pty with no size) keeps the whole line, not all but its last character', () => {
    const out = tty(0);
    const progress = createProgressLine(out.stream);
    progress.update(1, 'importing: done 512/512');
    expect(out.screen()[0]).toBe('[########################] 100% importing: done 512/512');
  });

  it('a narrow terminal gets the line cut to its width less one (no wrap onto a second line)', () => {
    const out = tty(20);
    createProgressLine(out.stream).update(0, 'epoch 1/8');
    expect(out.screen()[0]).toBe('[------------------------]'.slice(0, 19));
  });

  it('clear() leaves an empty line for what follows (a failure message)', () => {
    const out = tty();
    const progress = createProgressLine(out.stream);
    progress.update(0.3, 'epoch 1/8 step 40/156');
    progress.clear();
    out.stream.write('training failed (nan): step 41\n');
    expect(out.screen()).toEqual(['training failed (nan): step 41', '']);
  });
});

describe('a child whose stderr its parent filters (webgpu forced: dawn-quiet.ts)', () => {
  afterEach(() => {
    delete process.env[PARENT_TTY_COLUMNS_ENV];
    vi.restoreAllMocks();
  });

  it("draws in place at the parent terminal's width when the parent says its stderr is one", () => {
    let written = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((text: string | Uint8Array) => ((written += String(text)), true));
    process.env[PARENT_TTY_COLUMNS_ENV] = '20';
    createProgressLine().update(0, 'epoch 1/8');
    expect(screen(written)).toEqual(['[------------------------]'.slice(0, 19)]);
  });

  it('prints plain lines when no parent terminal is named (piped output stays a log)', () => {
    let written = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((text: string | Uint8Array) => ((written += String(text)), true));
    createProgressLine().update(0, 'epoch 1/8');
    expect(process.stderr.isTTY ? '' : written).toBe(process.stderr.isTTY ? '' : '[------------------------]   0% epoch 1/8\n');
  });
});
