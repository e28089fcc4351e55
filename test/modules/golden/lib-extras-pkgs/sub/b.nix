{ a }: "b uses ${a}"
