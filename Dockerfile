# koodrive-mock: builds on Docker 20.10's classic builder and on current BuildKit engines alike
# (no syntax line, no RUN --mount, no heredocs).

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dependencies only: the package's prepare (a build) needs the sources, copied next.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY schemas ./schemas
COPY src ./src
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    NODE_COMPILE_CACHE=/app/compile-cache
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts/warm-compile-cache.mjs ./scripts/warm-compile-cache.mjs
RUN mkdir compile-cache && chown node:node compile-cache
USER node
# One start at build time keeps the bundle's compiled code (src/code-cached-bundle.ts), written as
# the user the container runs as: every container then starts from compiled code.
RUN node scripts/warm-compile-cache.mjs /app/compile-cache
EXPOSE 3000
# node's own fetch: the slim image has no curl. A 1 s interval turns the container healthy about a
# second after start, which is what a test suite waiting on `service_healthy` feels.
HEALTHCHECK --interval=1s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/__admin/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.mjs"]
