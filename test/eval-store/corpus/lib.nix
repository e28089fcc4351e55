# Shared by the corpus: a derivation with the attributes every test needs.
{
  mk = attrs: derivation ({ system = "x86_64-linux"; builder = "/bin/sh"; } // attrs);
  # A content hash every fixed-output test can use: sha256 of the empty string.
  emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
}
