with import ./lib.nix;
mk {
  name = "fod-sha512-b32";
  outputHashAlgo = "sha512";
  outputHashMode = "recursive";
  outputHash = "0zdl9zrg8r3i9c1g90lgg9ip5ijzv3yhz91i0zzn3r8ap9ws784gkp9dk9j3aglhgf1amqb0pj21mh7h1nxcl18akqvvf7ggqsy30yg";
}
