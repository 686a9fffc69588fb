/** App Home and the one-line summaries `status` shares with it (src/slack/views/home.ts, flag.ts, watch.ts). */
export const home = {
  title: '*pc-verify* — Partner Center activation, per environment',
  renewal: 'sign-in renewal ',
  neverVerified: 'never verified',
  now: ' · now: {{what}}',
  row: '*{{env}}* ({{tier}}) — {{verdict}} · flag {{flag}}{{now}}',
  by: ' by {{who}}',
  lastRun: 'last run {{when}}{{by}}',
  noRunYet: 'no run yet',
  more: '…and {{count}} more: `/pc-verify status`',
  flagUnverified: '*UNVERIFIED*',
  flagUnknown: 'unknown',
  flag: {
    never: 'flag never switched by pc-verify',
    unknown: 'unknown',
    verified: ' (verified {{when}})',
    viaRun: 'run {{id}}',
    viaKillSwitch: 'kill switch',
    words: 'flag desired *{{desired}}* · observed {{observed}}{{verified}} · via {{via}}',
    unverified:
      '*UNVERIFIED* since {{since}} — {{why}} The flag may be ON: `/pc-verify off {{env}}` turns it OFF and verifies it. {{words}}',
  },
  watch: {
    off: 'watch off',
    every: 'every {{interval}}',
    noProbe: 'watch {{every}}: no probe yet',
    idle: 'watch {{every}}: idle ({{why}})',
    nothingToWatch: 'nothing to watch',
    healthy: 'watch {{every}}: *healthy* since {{since}} ({{probed}})',
    probed: 'last probe {{when}}',
    failing:
      'watch {{every}}: {{sign}} *FAILING* since {{since}} — {{cause}}: {{detail}} ({{probed}}). Next: {{next}}',
  },
} as const;
