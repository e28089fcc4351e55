/**
 * The system layer's public surface, for `tsnix os …` (src/cli) and the NixOS layer.
 *
 * The CLI evaluates and builds the configuration into `DIR/nix/store` (or not at all,
 * for list-generations, reboot and --rollback), then calls
 *
 *     const code = osAction(host, {
 *       root: DIR, action: 'switch', toplevel: '/nix/store/…-nixos-system-…',
 *       specialisation: 'paul', rollback: false, out: (text, fd) => …,
 *     });
 *     process.exitCode = code;
 *
 * `out` receives text with its newlines; fd 1 is stdout (the path after `Done. The new
 * configuration is `, list-generations), fd 2 (default) everything else. Nothing in this
 * layer evaluates Nix; the NixOS layer produces toplevels per the contract in
 * toplevel.ts (layout + activation.json).
 */

export { osAction, reboot, kernelNotice, type OsOptions, type OsActionName, type BootedRecord, BOOTED_FILE } from './os.js';
export { switchToConfiguration, installBootLoader, type StcAction, type StcOptions } from './switch.js';
export { activate, type Out } from './activation.js';
export { RootFs } from './rootfs.js';
export {
  readToplevel,
  readActivation,
  readBootJson,
  type Toplevel,
  type ActivationDescription,
  type BootJson,
  type BootspecV1,
  type EtcEntry,
  type UserSpec,
  type GroupSpec,
  type UsersGroupsSpec,
  type BootLoaderSettings,
  type SystemdBootSettings,
  type GrubSettings,
} from './toplevel.js';
export { generationInfo, formatGenerationTable, formatGenerationJson, listGenerations, setProfile, profilePath, type GenerationJson } from './profiles.js';
export { readBootMenu, findEntry, entriesFor, type BootEntry, type BootMenu } from './bootentries.js';
export { SystemdModel, STATE_FILE } from './systemd-state.js';
export type { TimeZone } from './text.js';
