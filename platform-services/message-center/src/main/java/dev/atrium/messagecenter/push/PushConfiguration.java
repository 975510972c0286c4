package dev.atrium.messagecenter.push;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import dev.atrium.service.cache.CacheReconnection;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import tools.jackson.databind.json.JsonMapper;

/** The WebSocket endpoint and the Redis subscription that feeds it. */
@Configuration
@EnableWebSocket
class PushConfiguration implements WebSocketConfigurer {

  private final PushWebSocketHandler handler;
  private final MessageCenterProperties properties;

  PushConfiguration(PushWebSocketHandler handler, MessageCenterProperties properties) {
    this.handler = handler;
    this.properties = properties;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    // tokens, not cookies, authenticate the socket, so a foreign page cannot ride on a person's session
    registry.addHandler(handler, PushWebSocketHandler.PATH, PushWebSocketHandler.FRONT_DOOR_PATH).addInterceptors(handler)
        .setAllowedOriginPatterns(properties.allowedOrigins().toArray(String[]::new));
  }

  @Bean
  ServletServerContainerFactoryBean webSocketContainer() {
    ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
    container.setMaxTextMessageBufferSize(8 * 1024); // clients send nothing of size
    container.setMaxSessionIdleTimeout(properties.socketIdleTimeout().toMillis());
    return container;
  }

  @Bean
  RedisMessageListenerContainer pushSubscription(RedisConnectionFactory redis, SessionRegistry sessions,
      JsonMapper json) {
    RedisMessageListenerContainer container = new RedisMessageListenerContainer();
    container.setConnectionFactory(redis);
    container.addMessageListener((message, pattern) -> sessions.deliver(json.readValue(message.getBody(),
        PushEvent.class)), new ChannelTopic(PushFanOut.channel(properties)));
    return container;
  }

  /** After the cache's primary is lost, the Redis client tries again every 2 s at most (Lettuce's default: 30 s). */
  @Bean
  ClientResourcesBuilderCustomizer cacheReconnection() {
    return CacheReconnection.customizer();
  }
}
