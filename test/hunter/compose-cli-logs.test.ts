import { describe, expect, it } from 'vitest';
import { ignoredOption, linesSinceFromCli } from '../../src/hunter/compose/cli-logs.ts';
import { parseDockerHost } from '../../src/hunter/docker/host.ts';
import { stampedLines } from '../../src/hunter/docker/logs.ts';
import { derivedProjectNames } from '../../src/hunter/docker/project-name.ts';

// What `docker-compose logs -t --no-color worker` 1.29 printed on a real daemon (colour left in,
// as 1.29 does without --no-color, to show both are handled).
const V1 = [
  'Attaching to hunter_worker_1',
  '\u001b[36mworker_1    |\u001b[0m 2026-12-07T01:02:03.100000000Z [2026-12-07 01:02:03,100: INFO/MainProcess] old line',
  '\u001b[36mworker_1    |\u001b[0m 2026-12-07T01:02:03.731452000Z {"event": "partner_center_sync_skipped"}',
  'worker_1    | 2026-12-07T01:02:04.000000001Z last line',
  '',
].join('\n');

describe('compose logs through the CLI (the fallback for hosts the Engine API cannot reach)', () => {
  it("cuts v1's output at a sub-second `since` by its -t stamps, without banner, prefix or colour", () => {
    expect(linesSinceFromCli(V1, new Date('2026-12-07T01:02:03.731Z'))).toBe(
      '{"event": "partner_center_sync_skipped"}\nlast line',
    );
  });

  it('reads v2 lines without a prefix the same way', () => {
    const v2 = '2026-12-07T01:02:03.000000000Z before\n2026-12-07T01:02:05.5Z after\n';
    expect(linesSinceFromCli(v2, new Date('2026-12-07T01:02:04Z'))).toBe('after');
  });

  it('tells a CLI that printed its usage (v1 on `--since`, exit 0) from one that had no lines', () => {
    expect(
      ignoredOption('', '\nView output from containers.\n\nUsage: logs [options] [--] [SERVICE...]\n'),
    ).toBe(true);
    expect(ignoredOption('', '')).toBe(false);
    expect(ignoredOption('2026-12-07T01:02:03Z x\n', 'Usage: whatever')).toBe(false);
  });

  it('reads the Engine API stamps with any number of fractional digits', () => {
    expect(stampedLines('2026-12-07T01:02:03Z a\n2026-12-07T01:02:03.5Z b\nno stamp')).toEqual([
      { stamp: '2026-12-07T01:02:03.000000000Z', text: 'a' },
      { stamp: '2026-12-07T01:02:03.500000000Z', text: 'b' },
    ]);
  });
});

describe('where the driver finds docker', () => {
  it('speaks to unix sockets and plain tcp itself, and leaves ssh:// and TLS to the CLI', () => {
    expect(parseDockerHost(undefined)).toMatchObject({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(parseDockerHost('unix:///run/user/1000/docker.sock')).toMatchObject({ kind: 'unix' });
    expect(parseDockerHost('tcp://10.0.0.5:2375')).toMatchObject({
      kind: 'tcp',
      origin: 'http://10.0.0.5:2375',
    });
    expect(parseDockerHost('tcp://10.0.0.5:2376')).toMatchObject({ kind: 'cli' });
    expect(parseDockerHost('ssh://ops@hunter-prod')).toMatchObject({ kind: 'cli' });
  });

  it('derives the project name as compose v2 and v1 do (checked against both on a real daemon)', () => {
    expect(derivedProjectNames('/srv/My.Proj-Dir_x')).toEqual(['myproj-dir_x']);
    // v2 drops the leading underscore, v1 keeps it: both are tried.
    expect(derivedProjectNames('/srv/_Under')).toEqual(['under', '_under']);
  });
});
