{ }: "pkg"
