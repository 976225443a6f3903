# itsecbot in a container: a static binary on a distroless base, running as non-root,
# with the database in the /data volume.
#   docker build -t itsecbot .
#   docker run -d --name itsecbot --env-file env -v itsecbot-data:/data --stop-timeout 60 itsecbot
# The image's config is config.yaml with `database: /data/itsecbot.db`; mount your own
# over /etc/itsecbot/config.yaml to change it, and send SIGHUP (docker kill -s HUP) to reload.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO_ENABLED=0: the SQLite driver is pure Go, so the binary needs no libc.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/itsecbot ./cmd/itsecbot \
 && sed 's|^database: .*|database: /data/itsecbot.db|' config.yaml > /out/config.yaml \
 && mkdir /out/data

# distroless/static: CA certificates, /etc/passwd with nonroot (65532), nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/itsecbot /usr/local/bin/itsecbot
COPY --from=build /out/config.yaml /etc/itsecbot/config.yaml
COPY --from=build --chown=65532:65532 /out/data /data
ENV ITSECBOT_CONFIG=/etc/itsecbot/config.yaml
VOLUME ["/data"]
USER nonroot:nonroot
HEALTHCHECK --interval=5m --timeout=30s --start-period=2m CMD ["/usr/local/bin/itsecbot", "health"]
ENTRYPOINT ["/usr/local/bin/itsecbot"]
CMD ["run"]
