/**
 * The seed scenario of /work/shared/examples/seed as synthetic toplevels: host `dune`
 * with alice and a nightly backup service; `chani` inherits it and turns Plasma on
 * (a changed display-manager unit); `paul` inherits nothing: default host name, only
 * root and paul (uid 1002), GNOME with autologin, tag `paul` in its label and a newer
 * kernel, so switching into it at runtime cannot change the running kernel.
 */

import type { BootLoaderSettings } from '../../src/system/toplevel.js';
import { defaultGroups, normalUser, rootUser, service, UNITS_BASE, WANTS_BASE, type ToplevelSpec } from './helpers.js';

export const VERSION = '25.11.20260101.abcdef0';

export function seedSpec(opts: { generation?: number; bootLoader?: BootLoaderSettings; backupExec?: string; paulName?: string; chaniName?: string } = {}): ToplevelSpec {
  const backupExec = opts.backupExec ?? '/nix/store/coreutils-9.5/bin/true';
  const parentUnits = {
    ...UNITS_BASE,
    'backup.service': service('Nightly backup', backupExec, 'Type=oneshot\n'),
    // Started by hand, wanted by nothing: only the pending start list brings it back after a crash.
    'manual.service': service('Started by hand', `/nix/store/tool-${opts.generation ?? 0}/bin/tool`),
    'display-manager.service': service('Display Manager', '/nix/store/sddm-0.21/bin/sddm', 'X-RestartIfChanged=false\n'),
  };
  const parentWants = { 'multi-user.target': [...WANTS_BASE['multi-user.target'], 'backup.service', 'display-manager.service'] };
  const parentUsers = [rootUser(), normalUser('alice')];
  const parentGroups = defaultGroups([{ name: 'wheel', gid: 1, members: ['alice'] }]).filter((g, i, a) => a.findIndex((x) => x.name === g.name) === i);
  parentGroups.find((g) => g.name === 'wheel')!.members = ['alice'];
  const bootLoader = opts.bootLoader;
  const chani: ToplevelSpec = {
    hostName: 'dune',
    label: VERSION,
    units: { ...parentUnits, 'display-manager.service': service('Display Manager', '/nix/store/sddm-0.21-plasma5/bin/sddm', 'X-RestartIfChanged=false\n') },
    wants: parentWants,
    users: parentUsers,
    groups: parentGroups,
    bootLoader,
    etc: { 'X11/xorg.conf.d/plasma.conf': 'Section "plasma5"\n' },
  };
  const paul: ToplevelSpec = {
    hostName: 'nixos',
    label: `paul-${VERSION}`,
    kernelVersion: '6.12.1',
    units: {
      ...UNITS_BASE,
      'display-manager.service': service('Display Manager', '/nix/store/gdm-47/bin/gdm', 'X-RestartIfChanged=false\n'),
      'accounts-daemon.service': service('Accounts Service', '/nix/store/accountsservice/libexec/accounts-daemon'),
    },
    wants: { 'multi-user.target': [...WANTS_BASE['multi-user.target'], 'display-manager.service', 'accounts-daemon.service'] },
    users: [rootUser(), normalUser('paul', { uid: 1002 })],
    groups: defaultGroups([{ name: 'networkmanager', gid: 57, members: ['paul'] }, { name: 'video', gid: 26, members: ['paul'] }]),
    bootLoader,
  };
  return {
    hostName: 'dune',
    label: VERSION,
    units: parentUnits,
    wants: parentWants,
    users: parentUsers,
    groups: parentGroups,
    bootLoader,
    configurationRevision: opts.generation !== undefined ? `rev${opts.generation}` : undefined,
    specialisations: { [opts.chaniName ?? 'chani']: chani, [opts.paulName ?? 'paul']: paul },
  };
}

export const GRUB: BootLoaderSettings = {
  grub: {
    enable: true,
    configurationLimit: 100,
    timeout: 5,
    default: '0',
    entryOptions: '--class nixos --unrestricted',
    subEntryOptions: '--class nixos',
    extraEntries: '',
    extraEntriesBeforeNixOS: false,
    extraConfig: '',
  },
};
