# system and builder go through toString like every attribute.
let b = derivation { name = "the-builder"; system = "x86_64-linux"; builder = "/bin/sh"; }; in
derivation { name = "coerced"; system = "aarch64-linux"; builder = "${b}/bin/build"; }
