# <nix/fetchurl.nix>: a builtin:fetchurl fixed-output derivation.
[
  (import <nix/fetchurl.nix> { url = "https://example.org/hello-1.0.tar.gz"; sha256 = "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"; })
  (import <nix/fetchurl.nix> { url = "https://example.org/tool"; hash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; executable = true; })
  (import <nix/fetchurl.nix> { url = "https://example.org/a.tar.xz"; sha512 = "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="; unpack = true; name = "a-src"; })
]
