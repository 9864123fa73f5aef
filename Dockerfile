# Scout's container image: a static binary on a distroless base (CA
# certificates, a non-root user, no shell). The build line below is the one
# CI runs (.ci/run checks that they stay identical), so an image built here
# holds the binary CI tested.
#
#   docker build -t scout .
#   docker run -p 8080:8080 -v scout-data:/data scout     # the embedded default
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o bin/scout ./cmd/scout
# The data volume's mount point, owned by the runtime user (the base image
# has no shell to create it).
RUN mkdir -p /data-dir

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/bin/scout /usr/local/bin/scout
COPY --from=build --chown=65532:65532 /data-dir /data
ENV SCOUT_DATA_DIR=/data \
    SCOUT_ADDR=0.0.0.0:8080 \
    SCOUT_LOG_FORMAT=json
VOLUME /data
EXPOSE 8080
USER 65532:65532
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/scout", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/scout"]
CMD ["serve"]
