# The image of the history-sweep manifests (deploy/kubernetes, and any
# batch runner): leakguard with git and a shell. Build it from the
# repository's root:
#
#   docker build -f deploy/sweep.Dockerfile -t leakguard-sweep .
FROM golang:1.26.8 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=
RUN ./scripts/build-static.sh /out/leakguard "$VERSION"

FROM debian:stable-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates \
	&& rm -rf /var/lib/apt/lists/* \
	&& useradd --uid 65532 --create-home --home-dir /home/leakguard leakguard
COPY --from=build /out/leakguard /usr/local/bin/leakguard
USER 65532:65532
ENV HOME=/home/leakguard
WORKDIR /home/leakguard
ENTRYPOINT ["/usr/local/bin/leakguard"]
