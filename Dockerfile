# leakguard as a container image: one static binary on an empty base.
#
#   docker build -t leakguard --build-arg VERSION=v0.1.0 .
#   docker run --rm -v "$PWD:/src" leakguard            # scan /src
#   docker run --rm -v "$PWD:/src" leakguard git .      # its history
#
# The image has no shell and no git binary: 'leakguard git' reads
# repositories with go-git there. .ci/run builds this file without a Docker
# daemon (buildah), giving the build stage's output as a local context.
FROM golang:1.26.8 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=
RUN ./scripts/build-static.sh /out/leakguard "$VERSION"

FROM scratch
COPY --from=build /out/leakguard /leakguard
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/leakguard"]
CMD ["scan", "--no-progress", "."]
