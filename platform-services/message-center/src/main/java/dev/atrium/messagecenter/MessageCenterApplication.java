package dev.atrium.messagecenter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The message center of one tenant's platform: conversations, announcements, to-dos and real-time push. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MessageCenterApplication {

  public static void main(String[] args) {
    SpringApplication.run(MessageCenterApplication.class, args);
  }
}
