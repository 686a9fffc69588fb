/** The last `count` lines of command output: what a person needs to see of a failure. */
export function tailLines(text: string, count: number): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-count).join('\n');
}
