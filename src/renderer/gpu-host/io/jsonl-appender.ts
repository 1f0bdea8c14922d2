/**
 * The GPU host page's JsonlAppender (main: runs/jsonl-appender.ts): the main
 * process opens the file (cutting a torn tail) and appends each line as it
 * arrives; posts keep their order, so lines land as the trainer wrote them.
 */
import { post } from '../host-call';

let nextId = 1;

export class JsonlAppender {
  private readonly id = nextId++;
  private open = true;

  constructor(readonly file: string) {
    post('appender.open', this.id, file);
  }

  append(record: object): void {
    if (!this.open) throw new Error(`${this.file} is closed`);
    post('appender.write', this.id, record);
  }

  close(): void {
    if (this.open) post('appender.close', this.id);
    this.open = false;
  }
}
