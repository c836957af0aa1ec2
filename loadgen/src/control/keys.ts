// Keys while a run goes on in a terminal: up/+ and down/- change the rate by 10 %, s spikes,
// p or space pauses and resumes, q quits with the summary, Ctrl-C interrupts (raw mode turns
// it into a key, so it is handled here as well as by the SIGINT handler).

export interface KeyActions {
  adjust(multiplier: number): void;
  spike(): void;
  togglePause(): void;
  quit(): void;
  interrupt(): void;
}

/** How long the spike key multiplies the rate, seconds. */
export const KEY_SPIKE_SECONDS = 10;

export const KEY_HELP = 'keys: up/+ rate +10%, down/- rate -10%, s spike, p pause/resume, q quit';

/** Maps one keypress (a chunk of terminal input) to an action; returns false if unknown. */
export function handleKey(input: string, actions: KeyActions): boolean {
  switch (input) {
    case '\u001b[A':
    case '+':
    case '=':
      actions.adjust(1.1);
      return true;
    case '\u001b[B':
    case '-':
      actions.adjust(0.9);
      return true;
    case 's':
      actions.spike();
      return true;
    case 'p':
    case ' ':
      actions.togglePause();
      return true;
    case 'q':
      actions.quit();
      return true;
    case '\u0003':
      actions.interrupt();
      return true;
    default:
      return false;
  }
}

/** Listens to a TTY stdin in raw mode; returns the function that restores it. */
export function listenToKeys(stdin: NodeJS.ReadStream, actions: KeyActions): () => void {
  if (!stdin.isTTY) return () => {};
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  const onData = (chunk: string): void => {
    handleKey(chunk, actions);
  };
  stdin.on('data', onData);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.setRawMode(false);
    stdin.pause();
  };
}
