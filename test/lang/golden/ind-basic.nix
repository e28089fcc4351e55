''
  line one
    indented

  ${x} after
  ''