# The seed's single-stage Python image, as `imagegate demo` builds it (python:3.9's own steps
# spelled out on debian:12, so findings land on the steps that added them). Try:
#   bin/imagegate demo --write demo
#   bin/imagegate check --dockerfile examples/python-fat.Dockerfile demo/python-fat.tar
FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl wget gcc g++ make git
RUN set -eux; ./configure --enable-optimizations && make -j install # python 3.9
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "./example.py"]
