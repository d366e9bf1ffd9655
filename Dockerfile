# Ledgerline service image: builds the TypeScript and runs the compiled service.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
# HOST: in a container the service listens on every interface (the port is published by the
# runtime); outside one, sandbox mode defaults to loopback.
ENV NODE_ENV=production DATA_DIR=/data HOST=0.0.0.0 PORT=3000
# The code is root's and read-only to the service; only DATA_DIR is the service's to write.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The image's own unprivileged user (uid 1000). The directory is created owned by it before the
# VOLUME line, so a fresh named volume is initialised with that ownership.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness: the service answers /health/live (200 while the process serves; /health tells store trouble). Node's own
# fetch, since the slim image has no curl. start-period covers catching the read models up.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm: SIGTERM from `docker stop` reaches the service, which closes gracefully.
CMD ["node", "dist/src/main.js"]
