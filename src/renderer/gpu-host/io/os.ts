/** `node:os` for the GPU host page: the host's name (TensorBoard names its event files after it), as the main process told it. */
let hostName = 'localhost';

export function setHostname(name: string): void {
  hostName = name;
}

export function hostname(): string {
  return hostName;
}
