rec {
  a = "xy
z";
  # commentb = 2;
}
