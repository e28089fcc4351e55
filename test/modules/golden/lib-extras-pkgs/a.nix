{ x }: "a-${toString x}"
