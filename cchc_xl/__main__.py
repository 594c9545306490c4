"""`python -m cchc_xl` (or `py -m cchc_xl` on Windows): the cchc-xl command without its script,
for machines where pip's Scripts folder is not on PATH."""

from .cli.main import main

if __name__ == "__main__":
    main()
