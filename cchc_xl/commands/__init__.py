"""One module per `cchc-xl` command: each parses, calls one library function, renders."""
