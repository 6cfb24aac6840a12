"""Which BLAS a PyTorch process does its matrix products with, told from the files it has mapped
(/proc/self/maps) and from the BLAS libtorch was built for (torch.__config__'s BLAS_INFO).

No torch import here, so that the classification can be checked on sample lines anywhere.
"""
import os


def mapped_files(maps_lines):
    """The files named in /proc/<pid>/maps lines, each once, in the order they first appear."""
    files = []
    for line in maps_lines:
        fields = line.split(None, 5)  # address perms offset dev inode [path]
        if len(fields) == 6 and fields[5].strip().startswith('/'):
            path = fields[5].strip()
            if path not in files:
                files.append(path)
    return files


def kind_of(path):
    """'mkl', 'openblas', 'reference' (Debian's libblas3: .../blas/libblas.so.3) or 'other' for one library file."""
    name, folder = os.path.basename(path), os.path.basename(os.path.dirname(path))
    if name.startswith('libmkl'):
        return 'mkl'
    if 'openblas' in name or 'openblas' in folder:
        return 'openblas'
    if folder == 'blas' and name.startswith('libblas.so'):
        return 'reference'
    return 'other'


def classify(files, blas_info=''):
    """(kind, file): the kind of BLAS ('openblas', 'mkl', 'reference' or 'other') and the library that decided it.

    Debian's and Ubuntu's PyTorch call the BLAS through libblas.so.3, which Debian's alternatives point at one
    implementation: the file mapped under that name decides, whatever else is mapped (with the reference libblas
    forced, Debian's OpenBLAS LAPACK still maps libopenblas beside it, unused by the products). A pip or conda
    PyTorch maps no libblas.so: then the BLAS libtorch was built for decides ('mkl' or 'open'), named by its mapped
    library, or by libtorch itself when it is linked in (pip's x86 wheels carry MKL inside libtorch_cpu.so).
    """
    interface = next((f for f in files if os.path.basename(f).startswith('libblas.so')), None)
    if interface is not None:
        return kind_of(interface), interface
    built_for = {'mkl': 'mkl', 'open': 'openblas', 'openblas': 'openblas'}.get(blas_info.lower())
    if built_for is not None:
        library = next((f for f in files if kind_of(f) == built_for), None)
        if library is None:
            libtorch = next((f for f in files if os.path.basename(f).startswith('libtorch_cpu')), 'libtorch')
            library = f'{libtorch} (linked in)'
        return built_for, library
    return 'other', f'no BLAS library mapped (libtorch built with BLAS_INFO={blas_info or "?"})'
