{ a = throw "oops"; }.a
